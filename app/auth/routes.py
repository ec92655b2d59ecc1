"""Sign-in and sign-out for staff accounts (citizens never sign in)."""
from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _

from app.auth import bp
from app.auth.forms import LoginForm
from app.extensions import db
from app.auth.access import current_user
from surveys.organization.accounts import authenticate


@bp.route("/masuk", methods=["GET", "POST"])
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = authenticate(db.session, form.username.data, form.password.data)
        if user is not None:
            session.clear()
            session["user_id"] = user.id
            flash(_("Anda masuk sebagai %(name)s.", name=user.display_name))
            return redirect(url_for("auth.account"), code=303)
        form.password.errors.append(_("Nama pengguna atau kata sandi salah."))
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.get("/akun")
def account():
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login"))
    return render_template("auth/account.html", user=user)


@bp.post("/keluar")
def logout():
    session.clear()
    return redirect(url_for("public.index"), code=303)

